package io.rota.core.spi;

/**
 * Thrown by a {@link HealthCheck} to fail a check with a reason that is safe to show: its message is
 * copied into the pool's events and logs (for example "replication lag 12.0 s, max 10 s"). The
 * message of any other exception a check throws is left out of events and logs, since it may carry
 * connection details or credentials; only its type is shown.
 */
public class HealthCheckFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a reason that must not contain secrets. */
  public HealthCheckFailedException(String reason) {
    super(reason);
  }

  /** Creates the exception with a reason that must not contain secrets, and a cause (not shown). */
  public HealthCheckFailedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
