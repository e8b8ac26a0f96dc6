#!/usr/bin/env node
// The `zoe` command: runs the CLI bundle that `npm run build` writes (plain Node, no Electron).
require('../out/main/cli.js');
