export * from './score.ts';
export * from './merge.ts';
export * from './alerts.ts';
export * from './series.ts';
