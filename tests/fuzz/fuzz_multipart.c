/*
 * fuzz_multipart.c - libFuzzer harness for the upload parser
 * (src/http/multipart.c, yw_multipart_find).  Input: the Content-Type header
 * value up to the first newline, then the request body.
 *
 * A part that is found lies inside the body, its file name and claimed type
 * are NUL-terminated within their buffers, and a refusal says why.
 */
#include "http/multipart.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (nl == NULL)
        return 0;
    size_t ctn = (size_t)(nl - data);
    char *ct = malloc(ctn + 1);
    memcpy(ct, data, ctn);
    ct[ctn] = '\0';
    /* the body in its own allocation, so reading past it is caught */
    size_t bn = size - ctn - 1;
    char *body = malloc(bn ? bn : 1);
    memcpy(body, nl + 1, bn);

    struct yw_part part;
    struct yw_err err = { 0 };
    int rc = yw_multipart_find(ct, body, bn, "file", &part, &err);
    if (rc == 0) {
        if (part.data < body || part.data > body + bn || part.len > bn || part.data + part.len > body + bn) {
            fprintf(stderr, "multipart: the part lies outside the body\n");
            abort();
        }
        if (memchr(part.filename, 0, sizeof part.filename) == NULL ||
            memchr(part.content_type, 0, sizeof part.content_type) == NULL) {
            fprintf(stderr, "multipart: a name is not terminated\n");
            abort();
        }
    } else if (err.msg[0] == '\0') {
        fprintf(stderr, "multipart: refused (%d) without a message\n", rc);
        abort();
    }
    free(body);
    free(ct);
    return 0;
}
