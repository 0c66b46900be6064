package io.jitguard.cli;

/** Bad input on the command line or in a file it names: exit 2, nothing read from or written to ARM. */
class InputException extends RuntimeException {
    InputException(String message) {
        super(message);
    }
}
