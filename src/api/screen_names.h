/*
 * screen_names.h - loading the name-variant tables of data/names/ (the one
 * place that reads them from disk; src/core/names.c parses the text).
 */
#ifndef SIGM_SCREEN_NAMES_H
#define SIGM_SCREEN_NAMES_H

#include "core/err.h"
#include "core/names.h"

/*
 * Builds a table from DIR/names/hypocorisms_es.csv, nicknames_en.csv and
 * variants.txt (dir NULL: api_data_dir()).  A missing file is an error
 * (SIGM_EIO, code "names_data_missing"): screening without its tables
 * silently loses recall.  *t_r is owned by the caller (names_table_free).
 */
int screen_names_load(const char *dir, struct names_table **t_r,
		      struct sigm_error *err);

#endif
