package io.ascall.payment;
class Placeholder {}
