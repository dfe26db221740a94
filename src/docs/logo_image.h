/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The organisation's logo as cairo draws it: a PNG or a JPEG (decoded by
 * libjpeg, its original bytes kept so that PDFs embed the JPEG itself). */
#ifndef AULA_LOGO_IMAGE_H
#define AULA_LOGO_IMAGE_H

#include <cairo.h>
#include <stddef.h>

/* The largest side a logo may have, in pixels. */
#define LOGO_IMAGE_MAX_SIDE 4096

/* An image surface of the PNG or JPEG in data, or NULL when it is neither
 * or cannot be read (a CMYK JPEG, a truncated file, a JPEG with a side
 * over LOGO_IMAGE_MAX_SIDE: refused before its pixels are allocated).  The
 * caller destroys it. */
cairo_surface_t *logo_surface(const unsigned char *data, size_t len);

#endif
