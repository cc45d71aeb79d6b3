/* A foreign process that loads the SDK's shipped native library by path, as Python's ctypes and
 * JNA do, and calls it through the door (bindings/src/door/): hash_email (euid_call), the same
 * through a completion queue (euid_submit, euid_queue_take), and client_generate against the
 * operator emulator. Built for the platforms nothing else here can load the library on: musl
 * (a musl process, dlopen) and Windows (LoadLibrary, run under wine). Exit 0 only when every
 * answer is the expected one.
 *
 * Usage: smoke LIBRARY EMAIL EXPECTED_HASH, with EUID_URL, EUID_API_KEY and EUID_CLIENT_SECRET
 * (the emulator's) in the environment. The argument layouts are UniFFI's (big-endian integers,
 * strings as i32 length + UTF-8); ClientConfig's fields are bindings/src/config.rs's, in order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
static void *open_library(const char *path) { return (void *)LoadLibraryA(path); }
static void *symbol(void *lib, const char *name) {
    return (void *)GetProcAddress((HMODULE)lib, name);
}
static void print_load_error(const char *path) {
    fprintf(stderr, "LoadLibrary(%s) failed: error %lu\n", path, (unsigned long)GetLastError());
}
#else
#include <dlfcn.h>
static void *open_library(const char *path) { return dlopen(path, RTLD_NOW | RTLD_LOCAL); }
static void *symbol(void *lib, const char *name) { return dlsym(lib, name); }
static void print_load_error(const char *path) {
    fprintf(stderr, "dlopen(%s) failed: %s\n", path, dlerror());
}
#endif

typedef struct { uint64_t capacity, len; uint8_t *data; } RustBuffer;
typedef struct { int8_t code; RustBuffer error_buf; } RustCallStatus;

typedef uint8_t *(*call_fn)(uint32_t, uint64_t, const uint8_t *, size_t, uint8_t *, size_t,
                            size_t *);
typedef int32_t (*submit_fn)(uint32_t, uint64_t, const uint8_t *, size_t, uint64_t, uint64_t);
typedef void (*free_fn)(uint8_t *, size_t);
typedef uint64_t (*queue_new_fn)(void);
typedef uint8_t *(*queue_take_fn)(uint64_t, int64_t, size_t *);
typedef void (*queue_close_fn)(uint64_t);
typedef RustBuffer (*buffer_fn)(RustCallStatus *);
typedef RustBuffer (*alloc_fn)(uint64_t, RustCallStatus *);
typedef void (*buffer_free_fn)(RustBuffer, RustCallStatus *);
typedef uint64_t (*client_new_fn)(RustBuffer, RustCallStatus *);
typedef uint64_t (*handle_fn)(uint64_t, RustCallStatus *);
typedef void (*handle_free_fn)(uint64_t, RustCallStatus *);

static void *lib;

static void fail(const char *what) {
    fprintf(stderr, "FAIL %s\n", what);
    exit(1);
}

static void *need(const char *name) {
    void *f = symbol(lib, name);
    if (!f) {
        fprintf(stderr, "FAIL the library lacks %s\n", name);
        exit(1);
    }
    return f;
}

static void check_status(const RustCallStatus *status, const char *what) {
    if (status->code != 0) {
        fprintf(stderr, "FAIL %s: UniFFI call status %d\n", what, status->code);
        exit(1);
    }
}

/* A growing byte buffer, written in UniFFI's layout. */
typedef struct { uint8_t *data; size_t len, cap; } Bytes;

static void put(Bytes *b, const void *src, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->data = realloc(b->data, b->cap);
        if (!b->data) fail("out of memory");
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
}
static void put_be(Bytes *b, uint64_t v, int size) {
    uint8_t out[8];
    for (int i = 0; i < size; i++) out[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
    put(b, out, (size_t)size);
}
static void put_string(Bytes *b, const char *s) {
    put_be(b, (uint64_t)strlen(s), 4);
    put(b, s, strlen(s));
}

static uint64_t get_be(const uint8_t *p, int size) {
    uint64_t v = 0;
    for (int i = 0; i < size; i++) v = (v << 8) | p[i];
    return v;
}

/* The code of door op `name`: its index in door_operations(). */
static uint32_t op_code(const char *name) {
    RustCallStatus status = {0};
    RustBuffer names = ((buffer_fn)need("uniffi_euid_ffi_fn_func_door_operations"))(&status);
    check_status(&status, "door_operations");
    const uint8_t *p = names.data, *end = names.data + names.len;
    if (names.len < 4) fail("door_operations gave no list");
    uint32_t count = (uint32_t)get_be(p, 4), found = UINT32_MAX;
    p += 4;
    for (uint32_t i = 0; i < count && p + 4 <= end; i++) {
        uint32_t n = (uint32_t)get_be(p, 4);
        p += 4;
        if (n == strlen(name) && p + n <= end && memcmp(p, name, n) == 0) found = i;
        p += n;
    }
    ((buffer_free_fn)need("ffi_euid_ffi_rustbuffer_free"))(names, &status);
    if (found == UINT32_MAX) {
        fprintf(stderr, "FAIL door_operations lacks %s\n", name);
        exit(1);
    }
    return found;
}

/* Checks a result of hash_email: tag 0, then the expected string. */
static void expect_string(const uint8_t *r, size_t len, const char *expected, const char *what) {
    size_t n = strlen(expected);
    if (len < 5 || r[0] != 0) {
        fprintf(stderr, "FAIL %s: an error result (tag %d, %zu bytes)\n", what, len ? r[0] : -1, len);
        exit(1);
    }
    if (get_be(r + 1, 4) != n || len != 5 + n || memcmp(r + 5, expected, n) != 0) {
        fprintf(stderr, "FAIL %s: got \"%.*s\", expected \"%s\"\n", what, (int)(len - 5), r + 5,
                expected);
        exit(1);
    }
    printf("ok   %s = %s\n", what, expected);
}

static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "FAIL %s is not set\n", name);
        exit(1);
    }
    return v;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s LIBRARY EMAIL EXPECTED_HASH\n", argv[0]);
        return 2;
    }
    lib = open_library(argv[1]);
    if (!lib) {
        print_load_error(argv[1]);
        return 1;
    }
    printf("ok   loaded %s\n", argv[1]);
    call_fn call = (call_fn)need("euid_call");
    free_fn free_result = (free_fn)need("euid_free");

    /* hash_email, on this thread. */
    Bytes args = {0};
    put_string(&args, argv[2]);
    uint8_t out[256];
    size_t out_len = 0;
    uint8_t *big = call(op_code("hash_email"), 0, args.data, args.len, out, sizeof out, &out_len);
    if (big) fail("hash_email: a 44-character hash did not fit 256 bytes");
    expect_string(out, out_len, argv[3], "hash_email (euid_call)");

    /* The same through a completion queue. */
    uint64_t queue = ((queue_new_fn)need("euid_queue_new"))();
    if (!queue) fail("euid_queue_new");
    if (((submit_fn)need("euid_submit"))(op_code("hash_email"), 0, args.data, args.len, queue, 7))
        fail("euid_submit refused the queue");
    size_t taken_len = 0;
    uint8_t *taken = ((queue_take_fn)need("euid_queue_take"))(queue, 10000, &taken_len);
    if (!taken || taken_len < 12) fail("euid_queue_take: no result within 10 s");
    if (get_be(taken, 8) != 7 || get_be(taken + 8, 4) != taken_len - 12)
        fail("euid_queue_take: not one record of ticket 7");
    expect_string(taken + 12, taken_len - 12, argv[3], "hash_email (euid_submit, queue)");
    free_result(taken, taken_len);
    ((queue_close_fn)need("euid_queue_close"))(queue);

    /* A client of the emulator (ClientConfig, as bindings/src/config.rs lists its fields). */
    Bytes config = {0};
    put_string(&config, env("EUID_URL"));
    put_string(&config, env("EUID_API_KEY"));
    put_string(&config, env("EUID_CLIENT_SECRET"));
    put_be(&config, 5000, 8);    /* timeout_ms */
    put_be(&config, 2000, 8);    /* connect_timeout_ms */
    put_be(&config, 15000, 8);   /* deadline_ms */
    put_be(&config, 2, 4);       /* max_retries */
    put_be(&config, 100, 8);     /* retry_base_delay_ms */
    put_be(&config, 2000, 8);    /* retry_max_delay_ms */
    put_be(&config, 0, 1);       /* binary_envelopes */
    put_be(&config, 1048576, 8); /* max_response_bytes */
    put_be(&config, 0, 1);       /* client_version: None */
    put_be(&config, 0, 1);       /* clock: None */
    put_be(&config, 0, 1);       /* proxy: None (the environment's) */
    put_be(&config, 0, 1);       /* ca_certificates_pem: None */
    put_be(&config, 0, 4);       /* host_root_certificates: [] */
    RustCallStatus status = {0};
    RustBuffer buffer = ((alloc_fn)need("ffi_euid_ffi_rustbuffer_alloc"))(config.len, &status);
    check_status(&status, "rustbuffer_alloc");
    memcpy(buffer.data, config.data, config.len);
    buffer.len = config.len;
    uint64_t client =
        ((client_new_fn)need("uniffi_euid_ffi_fn_constructor_publisherclient_new"))(buffer, &status);
    check_status(&status, "PublisherClient::new");
    /* A method call consumes the handle it is given: pass a clone, keep the client alive. */
    uint64_t clone = ((handle_fn)need("uniffi_euid_ffi_fn_clone_publisherclient"))(client, &status);
    check_status(&status, "clone");
    uint64_t target =
        ((handle_fn)need("uniffi_euid_ffi_fn_method_publisherclient_target"))(clone, &status);
    check_status(&status, "PublisherClient::target");

    /* client_generate(DiiInput { Email, argv[2] }, tcf: None) */
    Bytes gen = {0};
    put_be(&gen, 1, 4); /* DiiType::Email */
    put_string(&gen, argv[2]);
    put_be(&gen, 0, 1);
    uint8_t *r = call(op_code("client_generate"), target, gen.data, gen.len, NULL, 0, &out_len);
    if (!r || out_len < 9) fail("client_generate gave no result");
    if (r[0] != 0) {
        fprintf(stderr, "FAIL client_generate: an error result (%zu bytes)\n", out_len);
        return 1;
    }
    if (get_be(r + 1, 4) != 1) fail("client_generate: not GenerateOutcome::Success");
    uint32_t token = (uint32_t)get_be(r + 5, 4);
    if (token < 100 || 9 + (size_t)token > out_len) fail("client_generate: no advertising token");
    printf("ok   client_generate against %s: Success, a %u-character advertising token\n",
           env("EUID_URL"), token);
    free_result(r, out_len);
    ((handle_free_fn)need("uniffi_euid_ffi_fn_free_publisherclient"))(client, &status);
    check_status(&status, "free");
    printf("smoke: 4 passed, 0 failed\n");
    return 0;
}
