package dev.meridian.cluster;

import java.util.function.Function;

/** The reply of a cluster command: a value, or a typed domain error with a human-readable detail. */
public sealed interface Result<T> extends KryoSerializable {

  record Ok<T>(T value) implements Result<T> {}

  record Err<T>(StoreError error, String detail) implements Result<T> {}

  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Result<T> err(StoreError error, String detail) {
    return new Err<>(error, detail);
  }

  default <U> Result<U> map(Function<T, U> f) {
    if (this instanceof Ok<T> ok) return new Ok<>(f.apply(ok.value()));
    Err<T> err = (Err<T>) this;
    return new Err<>(err.error(), err.detail());
  }

  /** Thrown by {@link #orThrow()} and by futures that carry a domain error. */
  final class StoreException extends RuntimeException {
    public final StoreError error;

    public StoreException(StoreError error, String detail) {
      super(detail, null, false, false);
      this.error = error;
    }
  }

  default T orThrow() {
    if (this instanceof Ok<T> ok) return ok.value();
    Err<T> err = (Err<T>) this;
    throw new StoreException(err.error(), err.detail());
  }
}
