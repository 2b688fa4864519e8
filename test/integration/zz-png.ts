export const PNG_HEX = '';
