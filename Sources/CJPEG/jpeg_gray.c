#include "CJPEG.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

/* libjpeg's error manager, extended with where to jump back to and its message. */
struct scanstation_jpeg_failure {
    struct jpeg_error_mgr manager;
    jmp_buf back;
    char message[JMSG_LENGTH_MAX];
};

static void scanstation_jpeg_error_exit(j_common_ptr info) {
    struct scanstation_jpeg_failure *failure = (struct scanstation_jpeg_failure *)info->err;
    (*info->err->format_message)(info, failure->message);
    longjmp(failure->back, 1);
}

/* Warnings (a damaged scan line) would go to standard error; the image is read anyway. */
static void scanstation_jpeg_quiet(j_common_ptr info, int level) {
    (void)info;
    (void)level;
}

static void scanstation_jpeg_say(char *message, size_t message_size, const char *text) {
    if (message_size == 0) return;
    snprintf(message, message_size, "%s", text);
}

int scanstation_jpeg_decode_gray(const unsigned char *data, size_t size, size_t max_pixels,
                                 unsigned char **pixels, int *width, int *height,
                                 char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    struct scanstation_jpeg_failure failure;
    /* volatile: read after longjmp. */
    unsigned char *volatile image = NULL;

    *pixels = NULL;
    *width = 0;
    *height = 0;
    failure.message[0] = '\0';
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = scanstation_jpeg_error_exit;
    failure.manager.emit_message = scanstation_jpeg_quiet;
    if (setjmp(failure.back)) {
        free(image);
        jpeg_destroy_decompress(&info);
        scanstation_jpeg_say(message, message_size, failure.message);
        return -1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, (unsigned char *)data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&info);
    size_t columns = info.output_width;
    size_t rows = info.output_height;
    if (columns == 0 || rows == 0 || columns > max_pixels / rows) {
        char text[96];
        snprintf(text, sizeof text, "%zux%zu pixels is more than is read", columns, rows);
        jpeg_destroy_decompress(&info);
        scanstation_jpeg_say(message, message_size, text);
        return -2;
    }
    image = malloc(columns * rows);
    if (image == NULL) {
        jpeg_destroy_decompress(&info);
        scanstation_jpeg_say(message, message_size, "out of memory");
        return -1;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = image + (size_t)info.output_scanline * columns;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    *pixels = image;
    *width = (int)columns;
    *height = (int)rows;
    return 0;
}

void scanstation_jpeg_free(unsigned char *pixels) {
    free(pixels);
}
