import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JourneyEventSignal, RunState } from './types';

export const journeyEventSignal = defineSignal<[JourneyEventSignal]>('journeyEvent');
/** Ends a run wherever it is (the journey was archived). */
export const endRunSignal = defineSignal<[{ reason: string }]>('endRun');
export const runStateQuery = defineQuery<RunState>('runState');
