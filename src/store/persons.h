/*
 * persons.h - identity: persons and their travel documents.
 *
 * Every module points at the same person.  A document seen again is the
 * same person; a new document whose holder's data agree with exactly one
 * known person (names, birth date, nationality — or the previous document
 * named on it) is linked to that person as a renewal; when the data point
 * at several persons, or agree only in part, a new person is created and
 * the possible duplicates are flagged for an officer (reason
 * same_birth_date_and_surnames: the same but for the given names;
 * similar_names_and_birth_date: the variations of a renewal — a surname
 * dropped or the surnames swapped, a married name («López de Hernández»),
 * an ICAO transliteration, names cut short by an MRZ, a partial birth
 * date, another nationality).  Records a supervisor linked (person_links)
 * are one person: the data agreeing with one of them is a renewal.
 * Nothing is ever merged by the machine.  Everybody born that day is
 * compared, whatever their number.
 *
 * Functions taking a struct store_tx run inside the caller's write, so the
 * identity and the decision that needed it commit together.
 */
#ifndef SIGM_PERSONS_H
#define SIGM_PERSONS_H

#include "store/store.h"

struct persons_doc {
	/* holder */
	const char *given_names, *surnames, *birth_date, *sex, *nationality;
	/* document */
	const char *kind; /* passport, id_card, residence_card, visa, other;
			   * "none": no document shown, number and issuing
			   * state NULL, a person of their own (never linked) */
	const char *document_code, *number, *issuing_state, *expiry_date;
	const char *previous_number; /* optional: the document it replaces */
	/* optional: the national identity number shown beside the document
	 * (a Salvadoran's DUI beside a passport), as rules_docno_read keeps
	 * it, and the state that issues it.  Kept as the person's document
	 * of kind id_card of that state, the record a DUI card presented
	 * itself is: the same number found either way, by the person
	 * search too.  A number on file for a holder whose data agree
	 * (persons_holder_agrees) is that person: a new passport shown with
	 * it is a renewal, previous_number or not; on file under other data,
	 * it is not the traveler's (holder_differs, as a document) */
	const char *national_number, *national_state;
};

struct persons_result {
	int64_t person_id, document_id;
	int person_created, document_created, renewal;
	int duplicates_flagged; /* number of possible duplicates recorded */
	int holder_differs;     /* the document is on file under other data */
	int64_t holder_id;      /* then: whose it is on file */
	int national_differs;   /* the national number is on file under other
				 * data (never the traveler's: not recorded) */
	int64_t national_holder_id; /* then: whose it is on file */
};

int persons_resolve(struct store_tx *tx, const struct persons_doc *d,
		    struct persons_result *out, struct sigm_error *err);

/* Who persons_resolve would take the document's holder to be, reading
 * only (on a reader, before the write): the holder of a document seen
 * before, or the person a new document renews; 0 for a new person or a
 * possible duplicate.  A document on file under other data
 * (persons_same_holder) is not its holder's: *holder_differs (may be NULL)
 * says so, and the person is the record already flagged with it for these
 * data, or 0; a record a supervisor linked to the holder is the holder.  The booth reads where that person is (a renewed
 * passport leaving after the old one entered) before it decides. */
int persons_holder(struct store *s, const struct persons_doc *d,
		   int64_t *person_id, bool *holder_differs,
		   struct sigm_error *err);

/* Whether a document's holder on file is the traveler presenting it:
 * the surnames agree (folded: Latin letters without their marks, of any
 * block, Nguyễn and NGUYEN; one may be the other cut short, as an MRZ
 * cuts long names) and the birth dates agree when both are full dates.
 * A document on file under somebody else is not taken as theirs.
 * Surnames in another script are read with names_fold (Cyrillic as ICAO
 * transliterates it: Иванов is IVANOV); surnames without any letter
 * ("---", an emoji) agree only with the same text, never with a name. */
bool persons_same_holder(const char *surnames_on_file, const char *birth_on_file,
			 const char *surnames, const char *birth_date);

/* persons_same_holder, and the given names agree where both are known in
 * one script: a word in common, or one cut short from the other (an MRZ
 * cuts them: MARIA JOS).  What the booth and the identity match ask of a
 * document's holder: twins share the surnames and the birth date. */
bool persons_holder_agrees(const char *surnames_on_file, const char *birth_on_file,
			   const char *given_on_file, const char *surnames,
			   const char *birth_date, const char *given_names);

/* Uppercase ASCII fold of a name for equality (accents dropped, runs of
 * separators collapsed); out has room for cap bytes. */
void persons_fold(const char *in, char *out, size_t cap);

/* The key persons.surnames_key holds, and the person search and a renewal
 * on a crowded birth date read: persons_fold, but the letters it drops
 * are read, not dropped (its keys stay as they were for every name it
 * reads whole): a Latin letter outside Latin-1 and Latin Extended-A as
 * its base letter (Nguyễn, NGUYEN), Cyrillic as ICAO 9303 part 3 spells
 * it in an MRZ (ИВАНОВ and Иванов, IVANOV: the surnames a clerk typed in
 * the traveler's script and those his passport's MRZ gives share the
 * key), the letters of any other script case folded, as themselves
 * (Παπαδόπουλος, παπαδοπουλοσ).  Empty only when s has no letter or
 * digit of any script.  No SQL twin: rows keyed before it were keyed
 * again in C (migration 39). */
void persons_surnames_key(const char *in, char *out, size_t cap);

/* The same fold in SQL, for keys of rows written before the key column
 * existed (migration 22).  SQLite calls persons_fold() itself
 * (sigm_fold, registered by sqlite.c).  PostgreSQL translates the letters
 * of Spanish, Portuguese and French names and the commonest of Latin
 * Extended-A to their base letter, hyphen and apostrophe to a space, then
 * upper(): each character of FROM (UTF-8) maps to the byte of TO at its
 * position; then, as persons_fold, another non-ASCII character is dropped
 * and runs of other characters are one space.  FROM is every letter of
 * Latin-1 and Latin Extended-A that persons_fold takes to one letter,
 * written out from it, so both engines fold names alike. */
#define PERSONS_FOLD_FROM \
	"ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîï" \
	"ðñòóôõöøùúûüýþÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠ" \
	"ġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĳĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐ" \
	"őŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ" \
	"-'"
#define PERSONS_FOLD_TO \
	"AAAAAAACEEEEIIIIDNOOOOOXOUUUUYTSAAAAAAACEEEEIIII" \
	"DNOOOOOOUUUUYTYAAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGG" \
	"GGGHHHHIIIIIIIIIIIIJJKKKLLLLLLLLLLNNNNNNNNNOOOOO" \
	"OOORRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS" \
	"  "

/* The keys a surname search reads: from persons_surnames_key(s) (key) up to key +
 * U+10FFFF (upto), the largest character, so that the start of the
 * surnames finds the rest ("Gutiérrez" finds "GUTIERREZ MEMBRENO").  Keys
 * compare byte by byte (migration 22).  Returns -1 when s folds to
 * nothing (no letter or digit of any script). */
int persons_key_range(const char *s, char *key, size_t kcap, char *upto,
		      size_t ucap);

/* A LIKE pattern that finds text s inside a column folded by
 * persons_fold_sql on either engine: letters and digits as both folds
 * give them (upper case, the accents PERSONS_FOLD_FROM lists taken off),
 * '%' for anything else (a space, a dot, ø or ß, which the engines fold
 * apart), '%' at both ends.  Returns the number of letters and digits
 * written (0: s has none, the pattern would match everything). */
size_t persons_fold_like(const char *s, char *out, size_t cap);

/* Writes into buf the SQL expression that folds column col, for SQLite
 * (sigm_fold) or PostgreSQL (translate()); NULL if it does not fit in cap
 * bytes. */
const char *persons_fold_sql(const char *col, int postgres, char *buf,
			     size_t cap);

#endif
