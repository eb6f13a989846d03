#ifndef SCANSTATION_CLIBUSB_SHIM_H
#define SCANSTATION_CLIBUSB_SHIM_H
#include <libusb-1.0/libusb.h>

/// libusb_set_option is variadic, which Swift cannot call; these wrappers fix the arguments.
static inline int scanstation_libusb_set_option_noarg(libusb_context *ctx, enum libusb_option option) {
    return libusb_set_option(ctx, option);
}
static inline int scanstation_libusb_set_log_level(libusb_context *ctx, int level) {
    return libusb_set_option(ctx, LIBUSB_OPTION_LOG_LEVEL, level);
}
#endif
