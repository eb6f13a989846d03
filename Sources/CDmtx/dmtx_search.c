#include "CDmtx.h"
#include <dmtx.h>
#include <stdlib.h>
#include <string.h>

struct scanstation_dmtx_search {
    unsigned char *pixels;
    DmtxImage *image;
    DmtxDecode *decoder;
};

scanstation_dmtx_search *scanstation_dmtx_search_create(const unsigned char *pixels, int width, int height, int margin) {
    if (width <= 0 || height <= 0 || margin < 0) return NULL;
    int padded_width = width + 2 * margin;
    int padded_height = height + 2 * margin;
    scanstation_dmtx_search *search = calloc(1, sizeof *search);
    if (!search) return NULL;
    search->pixels = malloc((size_t)padded_width * padded_height);
    if (!search->pixels) { free(search); return NULL; }
    memset(search->pixels, 0xFF, (size_t)padded_width * padded_height);
    for (int row = 0; row < height; row++)
        memcpy(search->pixels + (size_t)(row + margin) * padded_width + margin, pixels + (size_t)row * width, (size_t)width);
    search->image = dmtxImageCreate(search->pixels, padded_width, padded_height, DmtxPack8bppK);
    search->decoder = search->image ? dmtxDecodeCreate(search->image, 1) : NULL;
    if (!search->decoder) { scanstation_dmtx_search_destroy(search); return NULL; }
    dmtxDecodeSetProp(search->decoder, DmtxPropFnc1, 0x1D);
    return search;
}

void scanstation_dmtx_search_destroy(scanstation_dmtx_search *search) {
    if (!search) return;
    if (search->decoder) dmtxDecodeDestroy(&search->decoder);
    if (search->image) dmtxImageDestroy(&search->image);
    free(search->pixels);
    free(search);
}

int scanstation_dmtx_search_next(scanstation_dmtx_search *search, int slice_ms,
                                 unsigned char *output, int capacity, int *length) {
    for (;;) {
        DmtxTime timeout = dmtxTimeAdd(dmtxTimeNow(), slice_ms > 0 ? slice_ms : 1);
        DmtxRegion *region = dmtxRegionFindNext(search->decoder, &timeout);
        if (region == NULL) return dmtxTimeExceeded(timeout) ? 0 : -1;
        DmtxMessage *message = dmtxDecodeMatrixRegion(search->decoder, region, DmtxUndefined);
        dmtxRegionDestroy(&region);
        if (message == NULL) {
            if (dmtxTimeExceeded(timeout)) return 0;
            continue; /* a candidate that did not decode: keep searching this slice */
        }
        int count = (int)message->outputIdx;
        *length = count;
        memcpy(output, message->output, (size_t)(count < capacity ? count : capacity));
        dmtxMessageDestroy(&message);
        return 1;
    }
}
