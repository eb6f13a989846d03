#ifndef SCANSTATION_CDMTX_SHIM_H
#define SCANSTATION_CDMTX_SHIM_H
#include <dmtx.h>
#endif
