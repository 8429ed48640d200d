#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (npm install builds it through `prepare`); no TypeScript loader, so it starts fast.
require('../dist/cli/main.js').run();
