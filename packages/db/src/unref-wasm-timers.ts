// Preloaded (`node --import`) into Prisma CLI processes only. Prisma's WASM schema engine
// leaves a 10 s timer behind, so every migrate command idles ~10 s after its work is done.
// Timers created from WebAssembly are unref'd: they no longer keep the process alive, while
// real work still does (it holds sockets). migrate.ts checks the outcome in the database
// afterwards, so an early exit could never pass for success.
const original = globalThis.setTimeout;

function setTimeoutFromWasmUnrefd(...args: Parameters<typeof setTimeout>): ReturnType<typeof setTimeout> {
  const timer = original(...args);
  if (new Error().stack?.includes('wasm-function')) timer.unref();
  return timer;
}

globalThis.setTimeout = Object.assign(setTimeoutFromWasmUnrefd, original);
