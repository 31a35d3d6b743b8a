/** @recon/notifications/testing: the notifications test context, scenario and signed-delivery receiver, for tests in other packages (never used by `recon start`). */
export { NotificationScenario, at } from './notification-scenario';
export {
  SECRET_KEY,
  NOTIFY_SECRET,
  testSchemas,
  setupDatabase,
  workspaceNotifyingTo,
  type TestContext,
} from './notifications-test-context';
export { startReceiver, type Receiver, type ReceivedRequest, type ReceiverBehaviour } from './receiver';
