#ifndef SCANSTATION_CZBAR_SHIM_H
#define SCANSTATION_CZBAR_SHIM_H
#include <zbar.h>
#endif
