import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JourneyEventSignal, RunState } from './types';

export const journeyEventSignal = defineSignal<[JourneyEventSignal]>('journeyEvent');
export const runStateQuery = defineQuery<RunState>('runState');
