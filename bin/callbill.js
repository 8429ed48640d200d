#!/usr/bin/env node
'use strict';
// Runs the bundled CLI (npm install builds it through `prepare`); no TypeScript loader, so it starts fast.
require('../dist/callbill.js').run();
