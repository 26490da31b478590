// How an initialization ended: what a run reports and what a recorded run keeps (replay.ts).

export interface OutcomeError {
  code: string;
  errno: number;
  status: string | null;
  statusName: string | null;
  step: string;
  message: string;
}

export interface Outcome {
  initialized: boolean;
  status: string;
  error: OutcomeError | null;
}
