#ifndef SCANSTATION_CPNG_SHIM_H
#define SCANSTATION_CPNG_SHIM_H
#include <png.h>
#endif
