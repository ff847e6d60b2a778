package io.ascall.engineer;

/**
 * The appliances engineers repair: an engineer's skills, and what a call needs. The same values as
 * {@code ApplianceType} in {@code docs/asyncapi.yaml}, the contract with call-service.
 */
public enum ApplianceType {
    WASHER,
    DRYER,
    REFRIGERATOR,
    AIR_CONDITIONER,
    TV,
    DISHWASHER,
    MICROWAVE,
    OVEN,
    AIR_PURIFIER
}
