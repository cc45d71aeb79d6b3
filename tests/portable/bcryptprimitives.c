/* Test-only stand-in for Windows' bcryptprimitives.dll under wine, never shipped: Rust's std
 * draws its random seeds from ProcessPrng, which Windows 10 and later have and Wine 8 (Debian 12's)
 * lacks. This forwards it to BCryptGenRandom, which wine has; scripts/portable-test.sh puts it
 * next to the test programs with WINEDLLOVERRIDES=bcryptprimitives=n,b. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
