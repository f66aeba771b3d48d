// Starts Azurite in this process and stops it when the process that launched it is gone.
// The standalone host starts Azurite as a child; if the host is killed with SIGKILL it cannot
// stop its children, so this watchdog notices the re-parenting and shuts Azurite down cleanly
// (SIGTERM lets Azurite flush its databases to disk before exiting).
"use strict";
const launcher = process.ppid;

// With the launcher gone, stdout and stderr are broken pipes: Azurite's own "closing..." messages
// would then fail with EPIPE and kill Node halfway through writing its databases, losing the most
// recent writes. So output is silenced first.
function silence() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => {});
  }
  for (const method of ["log", "info", "warn", "error", "debug"]) {
    console[method] = () => {};
  }
}

const watchdog = setInterval(() => {
  if (process.ppid !== launcher) {
    clearInterval(watchdog);
    silence();
    process.kill(process.pid, "SIGTERM");
  }
}, 250);
watchdog.unref();

// Azurite closes its servers and saves on SIGTERM/SIGINT; this only bounds how long that may take.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => setTimeout(() => process.exit(0), 10000).unref());
}

require("azurite/dist/src/azurite.js");
