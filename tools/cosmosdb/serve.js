// Serves @vercel/cosmosdb-server over HTTPS (self-signed) on 127.0.0.1 only, at the port given as the
// first argument, for the Cosmos document-store contract tests. Exits with its parent, like supervised Azurite.
"use strict";
const { createHttpsServer } = require("@vercel/cosmosdb-server");
const port = Number(process.argv[2]);
const launcher = process.ppid;
setInterval(() => { if (process.ppid !== launcher) process.exit(0); }, 250).unref();
createHttpsServer().listen(port, "127.0.0.1", () => console.log(`cosmosdb-server listening on https://127.0.0.1:${port}`));
