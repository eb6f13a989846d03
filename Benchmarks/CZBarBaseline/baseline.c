#include "CZBarBaseline.h"
#include <zbar.h>
#include <dmtx.h>
#include <stdlib.h>
#include <string.h>

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

int baseline_dmtx_loop(const unsigned char *pixels, int width, int height,
                       int budget_ms, int iterations) {
    int found = 0;
    for (int i = 0; i < iterations; i++) {
        found = 0;
        DmtxImage *image = dmtxImageCreate((unsigned char *)pixels, width, height, DmtxPack8bppK);
        DmtxDecode *decoder = dmtxDecodeCreate(image, 1);
        dmtxDecodeSetProp(decoder, DmtxPropFnc1, 0x1D);
        DmtxTime timeout = dmtxTimeAdd(dmtxTimeNow(), budget_ms);
        DmtxRegion *region;
        while (found < 4 && (region = dmtxRegionFindNext(decoder, &timeout)) != NULL) {
            DmtxMessage *message = dmtxDecodeMatrixRegion(decoder, region, DmtxUndefined);
            if (message) { found++; dmtxMessageDestroy(&message); }
            dmtxRegionDestroy(&region);
        }
        dmtxDecodeDestroy(&decoder);
        dmtxImageDestroy(&image);
    }
    return found;
}
