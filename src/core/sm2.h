/*
 * sm2.h - SM2 signatures over SM3 digests (GB/T 32918, GB/T 32905), the
 * national algorithms Chinese e-license standards expect, and the key
 * wrapping that keeps private keys encrypted at rest.
 *
 * Every signature and verification sets the signer's distinguishing ID to the
 * GM/T 0009 default "1234567812345678" explicitly: OpenSSL 3.0's own default
 * differs, and signatures made without it do not verify elsewhere (the
 * `openssl` command line needs `-pkeyopt distid:1234567812345678` too).
 * Keys travel as PEM (SubjectPublicKeyInfo / PKCS#8).  Signatures are DER,
 * base64-encoded where they appear in JSON.
 */
#ifndef YW_CORE_SM2_H
#define YW_CORE_SM2_H

#include "core/err.h"
#include "core/mem.h"

#include <stdbool.h>
#include <stddef.h>

#define YW_SM2_DISTID "1234567812345678"

struct yw_sm2_key; /* an EVP_PKEY holding an SM2 key (private or public only) */

/* Make a new key pair. */
int yw_sm2_generate(struct yw_sm2_key **out);
void yw_sm2_free(struct yw_sm2_key *k);
/* PEM text of the public key (SubjectPublicKeyInfo) / private key (PKCS#8), appended to out. */
int yw_sm2_public_pem(const struct yw_sm2_key *k, struct yw_buf *out);
int yw_sm2_private_pem(const struct yw_sm2_key *k, struct yw_buf *out);
/* Load from PEM (either kind). */
int yw_sm2_load_pem(const char *pem, size_t n, bool private_key, struct yw_sm2_key **out);
/* Key id: the first 16 hex characters of SM3 over the DER public key. */
int yw_sm2_key_id(const struct yw_sm2_key *k, char out[17]);

/* Sign data (SM3 with the distinguishing ID); the DER signature is base64'd
 * into out.  Verify returns 0 when the signature is good, YW_ECRYPTO when not. */
int yw_sm2_sign(const struct yw_sm2_key *k, const void *data, size_t n, struct yw_buf *b64_sig);
int yw_sm2_verify(const struct yw_sm2_key *k, const void *data, size_t n, const char *b64_sig);

/* Private keys at rest: AES-256-GCM under a 32-byte key (from the config
 * secret_key).  Output: base64 of nonce(12) || ciphertext || tag(16). */
int yw_seal(const unsigned char key[32], const void *plain, size_t n, struct yw_buf *b64_out);
int yw_unseal(const unsigned char key[32], const char *b64, struct yw_buf *plain_out);

/* Base64 (standard alphabet, padded). */
void yw_base64(const void *data, size_t n, struct yw_buf *out);
int yw_unbase64(const char *b64, struct yw_buf *out);

#endif
