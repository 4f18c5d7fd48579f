import type { CliCommand } from '../command.ts'

// Each capability adds its commands here; the dispatcher picks the longest matching path.
export const commands: CliCommand[] = []
