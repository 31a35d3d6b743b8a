/** The bench report (`pnpm bench:report`): results file shape, goal judgement, README rendering. */
export { parseBenchResult, type BenchFigure, type BenchResult, type GoalKind } from './bench-result';
export { judgeFigure, type Judgement } from './judge-figure';
export { renderBenchReport } from './render-bench-report';
