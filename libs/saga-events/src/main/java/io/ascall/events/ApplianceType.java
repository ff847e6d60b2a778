package io.ascall.events;

/**
 * The appliances engineers repair: part of the contract (a call's {@code applianceType}, an
 * engineer's skills), so every service reads the same list.
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
