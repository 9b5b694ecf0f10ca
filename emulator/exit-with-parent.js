// Preloaded with `node -r ./exit-with-parent.js node_modules/kinesis-local/main.js` by LocalKinesis.
// The Java parent holds our stdin pipe open; when the parent dies (even by SIGKILL) the pipe closes
// and the emulator exits with it, so a crashed test JVM leaves no orphaned emulator behind.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
