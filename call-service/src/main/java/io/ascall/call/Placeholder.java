package io.ascall.call;
class Placeholder {}
