package io.ascall.call;

/** The appliances engineers repair. Each has a visit fee in {@code call.fees}. */
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
