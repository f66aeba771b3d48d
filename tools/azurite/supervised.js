// Starts Azurite in this process and stops it when the process that launched it is gone.
// The standalone host starts Azurite as a child; if the host is killed with SIGKILL it cannot
// stop its children, so this watchdog notices the re-parenting and shuts Azurite down cleanly
// (SIGTERM lets Azurite flush its table database to disk before exiting).
"use strict";
const launcher = process.ppid;
const watchdog = setInterval(() => {
  if (process.ppid !== launcher) {
    clearInterval(watchdog);
    process.kill(process.pid, "SIGTERM");
    setTimeout(() => process.exit(0), 5000).unref();
  }
}, 250);
watchdog.unref();
process.once("SIGTERM", () => setTimeout(() => process.exit(0), 5000).unref());
process.once("SIGINT", () => setTimeout(() => process.exit(0), 5000).unref());
require("azurite/dist/src/azurite.js");
