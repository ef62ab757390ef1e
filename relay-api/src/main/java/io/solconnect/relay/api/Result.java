package io.solconnect.relay.api;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The outcome of an operation that can fail in an expected way: either {@link Ok} with a value or
 * {@link Err} with a {@link RelayError}. Programmer errors are still exceptions. Immutable and
 * thread-safe when the value is.
 *
 * <pre>{@code
 * switch (result) {
 *     case Result.Ok<Delivery> ok -> ...;     // Java 21 pattern; on 17 use isOk()/value()/error()
 *     case Result.Err<Delivery> err -> ...;
 * }
 * }</pre>
 *
 * @param <T> the value type
 */
public sealed interface Result<T> permits Result.Ok, Result.Err {

    /**
     * A success.
     *
     * @param value the value, never null (use {@link Void} results via {@link #ok()})
     * @param <T>   the value type
     */
    record Ok<T>(T value) implements Result<T> {
        /**
         * Validates that the value is not null.
         *
         * @param value the value, never null (use {@link Void} results via {@link #ok()})
         */
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A failure.
     *
     * @param error the error
     * @param <T>   the value type the operation would have produced
     */
    record Err<T>(RelayError error) implements Result<T> {
        /**
         * Validates that the error is not null.
         *
         * @param error the error
         */
        public Err {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The single value of successful {@code Result<Done>} operations that produce nothing. */
    enum Done {
        /** The only value. */
        DONE
    }

    /**
     * Returns a success holding {@code value}.
     *
     * @param value the value, not null
     * @param <T>   the value type
     * @return the result
     */
    static <T> Result<T> ok(T value) {
        return new Ok<>(value);
    }

    /**
     * Returns a success that carries no information.
     *
     * @return {@code ok(Done.DONE)}
     */
    static Result<Done> ok() {
        return new Ok<>(Done.DONE);
    }

    /**
     * Returns a failure.
     *
     * @param error the error
     * @param <T>   the value type
     * @return the result
     */
    static <T> Result<T> err(RelayError error) {
        return new Err<>(error);
    }

    /**
     * Returns a failure built from a code and a message.
     *
     * @param code    the stable code
     * @param message what went wrong
     * @param <T>     the value type
     * @return the result
     */
    static <T> Result<T> err(ErrorCode code, String message) {
        return new Err<>(new RelayError(code, message));
    }

    /**
     * Tells whether this is a success.
     *
     * @return true for {@link Ok}
     */
    default boolean isOk() {
        return this instanceof Ok;
    }

    /**
     * Returns the value of a success.
     *
     * @return the value, or empty for a failure
     */
    default Optional<T> toOptional() {
        return this instanceof Ok<T> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    /**
     * Returns the error of a failure.
     *
     * @return the error, or empty for a success
     */
    default Optional<RelayError> failure() {
        return this instanceof Err<T> err ? Optional.of(err.error()) : Optional.empty();
    }

    /**
     * Returns the value or throws.
     *
     * @return the value
     * @throws RelayException carrying the error (its {@link RelayException#code()} and text), for a failure
     */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new RelayException(((Err<T>) this).error());
    }

    /**
     * Maps the value of a success; a failure is passed on unchanged.
     *
     * @param f   the mapping, must not return null
     * @param <U> the new value type
     * @return the mapped result
     */
    default <U> Result<U> map(Function<? super T, ? extends U> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Err<>(((Err<T>) this).error());
    }

    /**
     * Chains another fallible step on a success; a failure is passed on unchanged.
     *
     * @param f   the next step
     * @param <U> the new value type
     * @return the step's result, or this failure
     */
    default <U> Result<U> flatMap(Function<? super T, Result<U>> f) {
        if (this instanceof Ok<T> ok) {
            return Objects.requireNonNull(f.apply(ok.value()), "flatMap function returned null");
        }
        return new Err<>(((Err<T>) this).error());
    }

    /**
     * Runs {@code action} with the value of a success.
     *
     * @param action the action
     * @return this result
     */
    default Result<T> ifOk(Consumer<? super T> action) {
        if (this instanceof Ok<T> ok) {
            action.accept(ok.value());
        }
        return this;
    }

    /**
     * Runs {@code action} with the error of a failure.
     *
     * @param action the action
     * @return this result
     */
    default Result<T> ifErr(Consumer<? super RelayError> action) {
        if (this instanceof Err<T> err) {
            action.accept(err.error());
        }
        return this;
    }
}
