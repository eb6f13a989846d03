#ifndef SCANSTATION_CZBAR_BASELINE_H
#define SCANSTATION_CZBAR_BASELINE_H
#include <stddef.h>
/* Plain C loops over zbar and libdmtx: the baseline the camera benchmark compares to. */
/* Scans the same Y800 frame `iterations` times with only `zbar_types` (array of
   zbar_symbol_type_t, count n) enabled; returns symbols found in the last pass. */
int baseline_zbar_loop(const unsigned char *pixels, int width, int height,
                       const int *zbar_types, int type_count, int iterations);
/* Decodes DataMatrix in the same frame `iterations` times with a per-frame budget of
   thread CPU milliseconds; returns symbols found in the last pass. */
int baseline_dmtx_loop(const unsigned char *pixels, int width, int height,
                       int budget_ms, int iterations);
#endif
