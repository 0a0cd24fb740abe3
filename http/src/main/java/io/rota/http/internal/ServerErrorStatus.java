package io.rota.http.internal;

/**
 * Reported to the endpoint pool when an attempt got a server error: a retryable status (503 by
 * default) or any 5xx. It counts as a failure of the endpoint for passive health (ejection), whether
 * or not the request is retried. Carries no stack trace.
 */
public final class ServerErrorStatus extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the failure for a status. */
  public ServerErrorStatus(int status) {
    super("status " + status, null, false, false);
  }
}
