// Test-only extension: on activation it runs the mocha suite in ./suite.js inside the extension host
// against the real `vscode` API and writes the results to a JSON file the e2e runner waits for.
// test/e2e/run.mjs copies this folder into the extensions dir and writes ./e2e-config.json:
//   { "mochaPath": "<repo>/node_modules/mocha", "resultsPath": "...", "controlPath": "...",
//     "demo": { "workflowTraceId", "batchTraceId", "appLog" } (the demo system's traces in the
//     extension's own store), "team": { "url", "workflowTraceId", "deployedDir" } (the team
//     backend), "tempoUrl": "<team url>" (traceLens.tempo.url), "faultTempoUrl": "<fake Tempo>"
//     (for faults, configured by a test for as long as it needs), "receiverPorts": {...},
//     "timeoutMs": N }
// It also starts ./control.js, the channel the Playwright scenarios use to act in the host.
'use strict';
/* global require, module, __dirname, global */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by the extension host */
const fs = require('fs');
const path = require('path');

function writeResults(resultsPath, results) {
  const tmp = `${resultsPath}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, resultsPath);
}

function errorText(err) {
  if (!err) return '';
  return String((err && (err.stack || err.message)) || err);
}

async function runSuite(config) {
  const Mocha = require(config.mochaPath);
  const mocha = new Mocha({ ui: 'bdd', timeout: config.timeoutMs || 60000, color: false, reporter: 'spec' });
  // The suite file reads its inputs from here.
  global.__traceLensE2E = config;
  mocha.addFile(path.join(__dirname, 'suite.js'));
  mocha.addFile(path.join(__dirname, 'lmTools.js'));
  mocha.addFile(path.join(__dirname, 'local.js'));
  const results = { passed: 0, failed: 0, pending: 0, tests: [], failures: [] };
  await new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    runner.on('fail', (test, err) => {
      results.failed++;
      const failure = { title: test.fullTitle(), error: errorText(err) };
      results.tests.push({ ...failure, state: 'failed', durationMs: test.duration });
      results.failures.push(failure);
    });
    runner.on('pending', (test) => {
      results.pending++;
      results.tests.push({ title: test.fullTitle(), state: 'pending' });
    });
  });
  return results;
}

function activate(context) {
  const configPath = path.join(__dirname, 'e2e-config.json');
  if (!fs.existsSync(configPath)) return;
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  if (config.controlPath) require('./control').startControl(context, config.controlPath);
  // A window reload (test/e2e/scenarios/90-restore.mjs) activates this extension again in the new host: the
  // control channel restarts (above), the suite does not run twice (its cleanup closes every editor).
  if (fs.existsSync(config.resultsPath)) return;
  // Run after activation returns, so this extension's activation never waits on the suite.
  setTimeout(() => {
    runSuite(config)
      .catch((err) => ({
        passed: 0,
        failed: 1,
        pending: 0,
        tests: [],
        failures: [{ title: 'in-host suite crashed', error: errorText(err) }],
      }))
      .then((results) => writeResults(config.resultsPath, results));
  }, 0);
}

function deactivate() {}

module.exports = { activate, deactivate };
