#ifndef SCANSTATION_CDMTX_H
#define SCANSTATION_CDMTX_H
/* A narrow C interface over libdmtx for the camera decoder. dmtx.h is not exposed to
   Swift: it pulls <time.h> into the module, which then claims the C library's types. */

typedef struct scanstation_dmtx_search scanstation_dmtx_search;

/* Starts a search of an 8-bit grayscale image (copied; `margin` white pixels are added
   on every side). FNC1 is reported as GS (0x1D). NULL when out of memory. */
scanstation_dmtx_search *scanstation_dmtx_search_create(const unsigned char *pixels, int width, int height, int margin);

void scanstation_dmtx_search_destroy(scanstation_dmtx_search *search);

/* Searches on for at most `slice_ms` milliseconds of wall time, resuming where the last
   call stopped. Returns 1 and the decoded bytes in `output` (up to `capacity`, the full
   length in `length`) when a symbol was decoded, 0 when the slice ended first, and -1
   when the whole image has been searched. */
int scanstation_dmtx_search_next(scanstation_dmtx_search *search, int slice_ms,
                                 unsigned char *output, int capacity, int *length);

#endif
