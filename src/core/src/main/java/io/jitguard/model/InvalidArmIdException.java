package io.jitguard.model;

/** A text that is not an ARM resource id; the message names what is wrong. */
public final class InvalidArmIdException extends IllegalArgumentException {
    private final boolean shape;

    public InvalidArmIdException(String message) {
        this(message, false);
    }

    /** @param shape whether the text is well formed but not in the shape of a resource id (e.g. a type without a name) */
    public InvalidArmIdException(String message, boolean shape) {
        super(message);
        this.shape = shape;
    }

    /** Well-formed segments in a shape that names no resource (a list path, a type without a name). */
    public boolean shape() {
        return shape;
    }
}
