#ifndef SCANSTATION_CJPEG_H
#define SCANSTATION_CJPEG_H
/* A narrow C interface over libjpeg for `read-image`. libjpeg reports errors by never
   returning from its error handler, which only C (setjmp/longjmp) can catch; jpeglib.h
   is not exposed to Swift. */

#include <stddef.h>

/* Decodes the JPEG `data` (`size` bytes) to 8-bit grayscale. Returns 0 and a buffer of
   width * height bytes from malloc in `pixels` (free it with scanstation_jpeg_free);
   -1 when libjpeg cannot decode it, -2 when it has more than `max_pixels` pixels. On
   failure `message` (of `message_size` bytes) says why, NUL-terminated. */
int scanstation_jpeg_decode_gray(const unsigned char *data, size_t size, size_t max_pixels,
                                 unsigned char **pixels, int *width, int *height,
                                 char *message, size_t message_size);

void scanstation_jpeg_free(unsigned char *pixels);

#endif
