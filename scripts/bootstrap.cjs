#!/usr/bin/env node
// Runs before node_modules may exist, so: plain Node, no dependencies.
// Installs dependencies when they are missing or older than package-lock.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const lockFile = path.join(root, 'package-lock.json');
// npm rewrites this file on every install, so its age is the age of node_modules.
const installedMarker = path.join(root, 'node_modules', '.package-lock.json');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

const installedAt = mtime(installedMarker);
const lockedAt = mtime(lockFile);
if (installedAt !== undefined && (lockedAt === undefined || lockedAt <= installedAt)) process.exit(0);

const command = lockedAt === undefined ? 'install' : 'ci';
console.error(
  `[bootstrap] dependencies ${installedAt === undefined ? 'missing' : 'out of date'}: npm ${command}`,
);
// Under `npm run`, npm_execpath is the npm that started us; reuse it rather than whatever is on PATH.
const npmCli = process.env.npm_execpath;
const [cmd, args] =
  npmCli && /npm-cli\.js$/.test(npmCli)
    ? [process.execPath, [npmCli, command]]
    : [process.platform === 'win32' ? 'npm.cmd' : 'npm', [command]];
const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error) {
  console.error(`[bootstrap] could not run npm: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status === null ? 1 : result.status);
