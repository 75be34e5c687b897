/* screen_gen.c - bench/screen's labelled watch-list generator, compiled into
 * bench/paxlst too (one generator, one definition of the 1,000,000-entry
 * index the two benchmarks measure against). */
#include "../screen/gen.c"
