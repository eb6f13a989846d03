#define _POSIX_C_SOURCE 200809L
#include "CZBarBaseline.h"
#include <zbar.h>
#include <dmtx.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int baseline_zbar_loop(const unsigned char *pixels, int width, int height,
                       const int *zbar_types, int type_count, int iterations) {
    zbar_image_scanner_t *scanner = zbar_image_scanner_create();
    if (!scanner) return -1;
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    for (int i = 0; i < type_count; i++)
        zbar_image_scanner_set_config(scanner, (zbar_symbol_type_t)zbar_types[i], ZBAR_CFG_ENABLE, 1);
    int found = 0;
    for (int i = 0; i < iterations; i++) {
        zbar_image_t *image = zbar_image_create();
        zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
        zbar_image_set_size(image, width, height);
        zbar_image_set_data(image, pixels, (unsigned long)width * height, NULL);
        found = zbar_scan_image(scanner, image);
        zbar_image_destroy(image);
    }
    zbar_image_scanner_destroy(scanner);
    return found;
}

static unsigned long long thread_cpu_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (unsigned long long)now.tv_sec * 1000000000ULL + (unsigned long long)now.tv_nsec;
}

/* The same search as the Swift decoder: a budget of thread CPU time, spent in wall-clock
   slices of at most 20 ms that resume libdmtx's scan grid, up to 4 symbols. */
int baseline_dmtx_loop(const unsigned char *pixels, int width, int height,
                       int budget_ms, int iterations) {
    int found = 0;
    unsigned long long budget = (unsigned long long)budget_ms * 1000000ULL;
    size_t size = (size_t)width * height;
    unsigned char *copy = malloc(size);
    if (!copy) return -1;
    for (int i = 0; i < iterations; i++) {
        found = 0;
        memcpy(copy, pixels, size);
        unsigned long long started = thread_cpu_ns();
        DmtxImage *image = dmtxImageCreate(copy, width, height, DmtxPack8bppK);
        DmtxDecode *decoder = dmtxDecodeCreate(image, 1);
        dmtxDecodeSetProp(decoder, DmtxPropFnc1, 0x1D);
        while (found < 4) {
            unsigned long long spent = thread_cpu_ns() - started;
            if (spent >= budget) break;
            long slice = (long)((budget - spent) / 1000000ULL) + 1;
            DmtxTime timeout = dmtxTimeAdd(dmtxTimeNow(), slice < 20 ? slice : 20);
            DmtxRegion *region = dmtxRegionFindNext(decoder, &timeout);
            if (region == NULL) {
                if (dmtxTimeExceeded(timeout)) continue;
                break;
            }
            DmtxMessage *message = dmtxDecodeMatrixRegion(decoder, region, DmtxUndefined);
            if (message) { found++; dmtxMessageDestroy(&message); }
            dmtxRegionDestroy(&region);
        }
        dmtxDecodeDestroy(&decoder);
        dmtxImageDestroy(&image);
    }
    free(copy);
    return found;
}
