package io.rota.spring.web;

import io.rota.jdbc.RoutingDataSource;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;
import java.util.Objects;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs each servlet request in a read-your-writes context of its own
 * ({@link RoutingDataSource#inContext}), instead of the container thread's: writes committed while
 * the request runs are seen by its later reads, on any thread it hands work to inside the call, and
 * a later request on the same thread does not inherit them. With {@link Scope#SESSION} or
 * {@link Scope#USER} the context is the HTTP session or the authenticated user, so the next request
 * of the same session or user reads its writes too; a request without a session or a user gets a
 * context of its own. Thread-safe.
 */
public final class ReadYourWritesFilter extends OncePerRequestFilter {

  /** What a request's read-your-writes context is. */
  public enum Scope {
    /** The request alone. */
    REQUEST,
    /** The HTTP session (an existing one; none is created). */
    SESSION,
    /** The authenticated user ({@link HttpServletRequest#getUserPrincipal()}). */
    USER
  }

  /** The context key of a session or a user; requests have a fresh object each. */
  private record Key(Scope scope, String id) {}

  private final Scope scope;

  /** Creates a filter whose contexts are of this scope. */
  public ReadYourWritesFilter(Scope scope) {
    this.scope = Objects.requireNonNull(scope, "scope");
  }

  /** Returns the scope of the contexts. */
  public Scope scope() {
    return scope;
  }

  /** Runs the rest of the chain in the request's read-your-writes context. */
  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Object key = key(request);
    try {
      RoutingDataSource.inContext(key, () -> {
        chain.doFilter(request, response);
        return null;
      });
    } catch (IOException | ServletException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ServletException(e);
    }
  }

  private Object key(HttpServletRequest request) {
    if (scope == Scope.SESSION) {
      HttpSession session = request.getSession(false);
      if (session != null) {
        return new Key(Scope.SESSION, session.getId());
      }
    } else if (scope == Scope.USER) {
      Principal user = request.getUserPrincipal();
      if (user != null && user.getName() != null) {
        return new Key(Scope.USER, user.getName());
      }
    }
    return new Object();
  }
}
