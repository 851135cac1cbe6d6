// The mediasoup worker must use the system's OpenSSL (Debian's libssl3), linked dynamically,
// so that a Debian security update of libssl3 reaches it without rebuilding the worker
// (infra/mediasoup-worker/build.sh links it so; check.sh checks more, by hand). A bundled or
// statically linked OpenSSL would silently keep its old holes: this test fails then.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const worker = process.env.MEDIASOUP_WORKER_BIN;

/** `ldd`'s `name => path (0x…)` lines as name → path ('not found' stays as it is). */
function resolvedLibraries(binary: string): Map<string, string> {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+)\s+=>\s+(.+?)\s*(?:\(0x[0-9a-f]+\))?$/.exec(line);
    if (m) libs.set(m[1]!, m[2]!);
  }
  return libs;
}

/** Debian's library directories (/usr/lib and, on merged-/usr systems, /lib is the same). */
const SYSTEM_LIB = /^\/(usr\/)?lib(64)?\//;

describe("the mediasoup worker links the system's OpenSSL 3", () => {
  it('MEDIASOUP_WORKER_BIN is set (run through ./pnpm test)', () => {
    expect(worker).toBeTruthy();
  });

  it.each(['libssl.so.3', 'libcrypto.so.3'])('%s resolves to a file of the system’s library directories', (lib) => {
    const libs = resolvedLibraries(worker!);
    const path = libs.get(lib);
    // Missing entirely: OpenSSL compiled into the binary (or another version linked).
    expect([lib, path === undefined ? 'not linked dynamically' : path]).toEqual([lib, expect.stringMatching(SYSTEM_LIB)]);
    expect([lib, realpathSync(path!)]).toEqual([lib, expect.stringMatching(SYSTEM_LIB)]);
  });

  it('no other copy of libssl or libcrypto is linked', () => {
    const others = [...resolvedLibraries(worker!).keys()].filter(
      (name) => /^lib(ssl|crypto)\.so/.test(name) && name !== 'libssl.so.3' && name !== 'libcrypto.so.3',
    );
    expect(others).toEqual([]);
  });
});
