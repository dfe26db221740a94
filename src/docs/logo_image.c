/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "logo_image.h"

#include <setjmp.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

struct png_reader {
    const unsigned char *p;
    size_t left;
};

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int n)
{
    struct png_reader *r = closure;
    if (n > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, n);
    r->p += n;
    r->left -= n;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_surface(const unsigned char *data, size_t len)
{
    struct png_reader r = {data, len};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* libjpeg's default error handler ends the process: a bad file must only
 * fail this call. */
struct jpeg_failure {
    struct jpeg_error_mgr mgr;
    jmp_buf back;
};

static void jpeg_fail(j_common_ptr cinfo)
{
    longjmp(((struct jpeg_failure *)cinfo->err)->back, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level)
{
    (void)cinfo;
    (void)level;
}

/* Cairo's RGB24 pixel is a native-endian 32-bit 0x00RRGGBB. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CAIRO_JPEG_SPACE JCS_EXT_BGRX
#else
#define CAIRO_JPEG_SPACE JCS_EXT_XRGB
#endif

static cairo_surface_t *jpeg_surface(const unsigned char *data, size_t len)
{
    struct jpeg_decompress_struct cinfo;
    struct jpeg_failure err;
    /* volatile: assigned after setjmp and read after a longjmp. */
    cairo_surface_t *volatile surface = NULL;
    unsigned char *volatile copy = NULL;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    err.mgr.emit_message = jpeg_quiet;
    if (setjmp(err.back)) {
        jpeg_destroy_decompress(&cinfo);
        if (surface)
            cairo_surface_destroy(surface);
        free(copy);
        return NULL;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    /* libjpeg converts only luminance and YCbCr/RGB to RGB; a small file
     * may claim a huge picture, refused before memory is taken for it. */
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK ||
        cinfo.image_width > LOGO_IMAGE_MAX_SIDE || cinfo.image_height > LOGO_IMAGE_MAX_SIDE)
        longjmp(err.back, 1);
    cinfo.out_color_space = CAIRO_JPEG_SPACE;
    jpeg_start_decompress(&cinfo);
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)cinfo.output_width,
                                         (int)cinfo.output_height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
        longjmp(err.back, 1);
    cairo_surface_flush(surface);
    unsigned char *pixels = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * (size_t)stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    cairo_surface_mark_dirty(surface);
    /* The JPEG itself goes into PDFs (no second, lossless copy of its
     * pixels); cairo keeps the bytes until the surface is destroyed. */
    copy = malloc(len);
    if (copy) {
        memcpy(copy, data, len);
        if (cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy) !=
            CAIRO_STATUS_SUCCESS)
            free(copy);
    }
    return surface;
}

cairo_surface_t *logo_surface(const unsigned char *data, size_t len)
{
    if (!data || len < 8)
        return NULL;
    if (memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return png_surface(data, len);
    if (data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return jpeg_surface(data, len);
    return NULL;
}
