#!/usr/bin/env node
// The `passerelle` executable (package.json "bin"): runs the TypeScript command line through tsx,
// a dependency of the project, so that it needs no build step.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('tsx/cjs/api').register();
require('./main.ts').runFromProcess();
