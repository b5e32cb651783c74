'use strict';
/**
 * The bad-input suite's jest environment: jest-environment-node plus a listener for unhandled
 * promise rejections on the real process, whose reasons the tests read from
 * `globalThis.__badInputUnhandledRejections`. A test file's own `process` is a copy jest makes,
 * on which Node never emits, and jest-circus swaps the real process's listeners at the start of
 * the run — so the listener is added from the environment, once the run has started.
 */
const { TestEnvironment } = require('jest-environment-node');

class TrackingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.unhandled = [];
    this.global.__badInputUnhandledRejections = this.unhandled;
    this.listener = (reason) => this.unhandled.push(reason);
  }

  async handleTestEvent(event) {
    // jest-circus replaces the process's listeners at run_start (before this runs) and puts its
    // saved ones back at run_finish; ours lives in between, beside jest's own.
    if (event.name === 'run_start') process.on('unhandledRejection', this.listener);
    if (event.name === 'run_finish') process.off('unhandledRejection', this.listener);
  }
}

module.exports = TrackingEnvironment;
