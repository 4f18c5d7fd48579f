import { AppError } from '../../src-shared/errors.ts'
import type { MainContext } from '../main-context.ts'
import type { HandlerDeps } from './handler-deps.ts'

/** The backend channels need the main context; a host built without one says so plainly. */
export function requireContext(deps: HandlerDeps): MainContext {
  if (deps.context) return deps.context
  throw new AppError('ipc.unsupported', 'This host was started without the backend services.', {
    hint: 'Start the app normally (or `scim-console web`); both build the main context.',
  })
}
