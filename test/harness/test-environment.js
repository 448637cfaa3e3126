// @ts-check
'use strict';
/**
 * The environment of every spec: jest's Node.js environment, and a prompt
 * exit for the worker processes that run the specs.
 *
 * When a run ends, jest asks each worker to stop, and kills one that has not
 * exited 500 ms later ("A worker process has failed to exit gracefully").
 * Mutua's workers have nothing left open by then: their JavaScript is done
 * within milliseconds. But a process that ends because nothing is left to
 * do first frees its whole heap (the application a spec loaded, 100 to
 * 250 MB) page by page, and on a busy machine that alone takes more than
 * 500 ms. process.exit() leaves the memory to the system instead.
 *
 * It is called from `beforeExit`, which comes only once nothing holds the
 * event loop: a socket, timer or child process a spec forgot still keeps
 * the worker alive, and jest still reports it.
 *
 * This file runs in the worker itself, outside the specs' sandbox, so
 * `process` here is the real one. The jest process (a single spec runs in
 * it, with no worker) is left alone: it is not a child with a channel to a
 * parent.
 */
const { TestEnvironment } = require('jest-environment-node');

const EXIT_PROMPTLY = Symbol.for('mutua.test.exitPromptly');

if (process.send !== undefined && process.env.JEST_WORKER_ID !== undefined) {
  const marked = /** @type {Record<symbol, boolean>} */ (/** @type {unknown} */ (process));
  if (marked[EXIT_PROMPTLY] !== true) {
    marked[EXIT_PROMPTLY] = true;
    process.once('beforeExit', () => process.exit());
  }
}

module.exports = TestEnvironment;
