package io.jobplane.stack; final class Placeholder {}
