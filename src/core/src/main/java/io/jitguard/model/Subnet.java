package io.jitguard.model;

/** A subnet and its NSG (null when none). */
public record Subnet(String id, String nsgId) {
}
